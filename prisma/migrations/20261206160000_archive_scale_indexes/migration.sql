-- Archive scale (issue 18): an index behind every list the API pages through, so a page costs the
-- same at 100 000 exams as at 60 (npm run bench:scale prints the plans).

-- A site's audit log, newest first, and one action of it.
CREATE INDEX "AuditEvent_siteId_id_idx" ON "AuditEvent"("siteId", "id");
CREATE INDEX "AuditEvent_siteId_action_id_idx" ON "AuditEvent"("siteId", "action", "id");

-- An inference run's predictions, a page at a time (createdAt, id).
CREATE INDEX "Prediction_inferenceRunId_createdAt_id_idx" ON "Prediction"("inferenceRunId", "createdAt", "id");
