/** The assistant module's one public face: what app.ts, the worker and other modules may import. */
export { assistNewLead, assistNewLeadJob, sweepUnassistedLeadsJob } from './assistant.jobs';
export { assistantRoutes } from './assistant.routes';
export { createAssistantService } from './assistant.service';
export { warmUpClassifier } from './classifier';
