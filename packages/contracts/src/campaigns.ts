export const campaignTypes = ['CATEGORY', 'ZONE', 'REACTIVATION'] as const;
export type CampaignType = (typeof campaignTypes)[number];
export const campaignStatuses = ['DRAFT', 'ACTIVE', 'PAUSED', 'ENDED'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
