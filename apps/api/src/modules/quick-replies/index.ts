import type { AppModule } from '../../platform/app-module';
import { quickRepliesRoutes } from './quick-replies.routes';
import { createQuickRepliesService, type QuickRepliesDeps } from './quick-replies.service';

/** The quick-replies module's one public face: the shop's saved answers, mounted by app.ts. */
export function createQuickRepliesModule(deps: QuickRepliesDeps): AppModule {
  const quickReplies = createQuickRepliesService(deps);
  return {
    /** Under /api/v1. */
    async routes(api) {
      await api.register(quickRepliesRoutes, { quickReplies });
    },
  };
}
