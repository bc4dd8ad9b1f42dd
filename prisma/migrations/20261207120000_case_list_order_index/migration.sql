-- The case list's order (accession key, id) across sites: the case page's previous and next case
-- read one row from here instead of scanning every case of the viewer's sites.
CREATE INDEX "Case_accessionKey_id_idx" ON "Case"("accessionKey", "id");
