export {
  QUEUES,
  trainJob,
  evaluateJob,
  inferJob,
  concordanceJob,
  pacsImportJob,
  type QueueName,
  type JobPayloads,
} from "./queues.ts";
export { startJobQueue, type JobQueue } from "./job-queue.ts";
