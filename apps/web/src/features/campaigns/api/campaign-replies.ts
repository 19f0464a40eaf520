import type { CampaignReply } from '@techmarket/contracts';
import { apiRequest } from '../../../lib/api-client';

/**
 * A customer answered a reactivation message: recorded by the message's code (as they quoted it; the API forgives
 * case, spaces and a missing C). Answers the lead the reply landed on, the same one however often it is recorded.
 */
export const recordCampaignReply = (tenantId: string, reply: { refCode: string; message?: string }) =>
  apiRequest<CampaignReply>(`/tenants/${tenantId}/campaign-replies`, { method: 'POST', body: reply });
