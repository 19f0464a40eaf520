import type { Clock } from '../../platform/clock';
import type { Database } from '../../platform/db';
import type { RealtimeBus } from '../../platform/realtime';
import type { IdentityService } from '../identity';
import { createEngineService, type EngineDeps } from './engine.service';
import { createPolicyService } from './policy.service';
import { createTasksService } from './tasks.service';

/**
 * Follow-ups, put together: the shop's policy (policy.service.ts), the engine that applies it
 * (engine.service.ts) and tasks (tasks.service.ts). This is what the routes and other modules are handed.
 */

export interface FollowupsDeps extends Omit<EngineDeps, 'policies' | 'tasks'> {
  database: Pick<Database, 'withTenant'>;
  clock: Clock;
  identity: Pick<IdentityService, 'findUser'>;
  realtime?: Pick<RealtimeBus, 'publish'>;
}

export function createFollowupsService(deps: FollowupsDeps) {
  const { database, clock, identity, realtime, onError } = deps;
  const policies = createPolicyService({ database, clock });
  const tasks = createTasksService({ database, clock, identity, realtime, ...(onError ? { onError } : {}) });
  const engine = createEngineService({ ...deps, policies, tasks });

  return {
    getPolicy: policies.getPolicy,
    putPolicy: policies.putPolicy,
    patchPolicy: policies.patchPolicy,
    holidaysOf: policies.holidaysOf,
    policyOf: policies.policyOf,

    runEngine: engine.runEngine,
    stampResponseTimes: engine.stampResponseTimes,
    whenDormant: engine.whenDormant,

    listTasks: tasks.listTasks,
    taskCounts: tasks.taskCounts,
    createTask: tasks.createTask,
    updateTask: tasks.updateTask,
    cancelOpenTasks: tasks.cancelOpenTasks,
    createCampaignTasks: tasks.createCampaignTasks,
    cancelCampaignTasks: tasks.cancelCampaignTasks,
    completeCampaignTasks: tasks.completeCampaignTasks,
  };
}

export type FollowupsService = ReturnType<typeof createFollowupsService>;
export type { DormantHook } from './engine.service';
export { DEFAULT_POLICY } from './policy.service';
export type { CampaignTaskInput, CreateTaskInput, UpdateTaskInput } from './tasks.service';
