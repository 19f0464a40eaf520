/** The quick-replies module's one public face: what app.ts, the worker and other modules may import. */
export { quickRepliesRoutes } from './quick-replies.routes';
export { createQuickRepliesService } from './quick-replies.service';
