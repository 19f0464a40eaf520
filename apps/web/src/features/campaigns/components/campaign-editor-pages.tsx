import { Alert, Box } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { isAdmin, useSession } from '../../../lib/session';
import { campaignQueryOptions } from '../api/campaigns';
import { CampaignEditor } from './campaign-editor';

/** Sellers see campaigns but do not create or edit them (the API answers 403): say so up front. */
function OnlyAdmins() {
  const { t } = useTranslation();
  return (
    <Box p="sm">
      <Alert color="yellow">{t('errors.forbidden')}</Alert>
    </Box>
  );
}

export function NewCampaignPage() {
  const me = useSession();
  if (!isAdmin(me)) return <OnlyAdmins />;
  return <CampaignEditor tenantId={me.tenant.id} timeZone={me.tenant.timezone} campaign={null} />;
}

export function EditCampaignPage() {
  const { campaignId } = useParams({ from: '/app/campaigns/$campaignId/edit' });
  const me = useSession();
  const query = useQuery({ ...campaignQueryOptions(campaignId), enabled: isAdmin(me) });
  if (!isAdmin(me)) return <OnlyAdmins />;
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <CampaignEditor
      // A newer version (after a conflict) starts the form again from what the server holds.
      key={query.data.version}
      tenantId={me.tenant.id}
      timeZone={me.tenant.timezone}
      campaign={query.data}
    />
  );
}
