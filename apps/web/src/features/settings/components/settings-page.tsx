import { Alert, Box, Tabs, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isAdmin, useSession } from '../../../lib/session';
import { FollowupPolicyPanel } from '../../followup-policy';
import { QuickRepliesPanel } from '../../quick-replies';
import { ApiKeysPanel } from './api-keys-panel';
import { BranchesPanel } from './branches-panel';
import { CommerceSettingsPanel } from './commerce-settings-panel';
import { LinksPanel } from './links-panel';
import { ListingsPanel } from './listings-panel';
import { ShopFactsPanel } from './shop-facts-panel';
import { TeamPanel } from './team-panel';
import { WhatsappPanel } from './whatsapp-panel';

type Tab =
  | 'branches'
  | 'team'
  | 'listings'
  | 'links'
  | 'apiKeys'
  | 'followups'
  | 'commerce'
  | 'shopFacts'
  | 'whatsapp'
  | 'quickReplies';

/** Settings for OWNER and MANAGER: branches, team, catalog, links, follow-up rules, quotes and service, and (OWNER) API keys. */
export function SettingsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const { tab = 'branches' } = useSearch({ from: '/app/settings' });
  const navigate = useNavigate({ from: '/settings' });
  if (!isAdmin(me)) {
    return (
      <Box p="sm">
        <Title order={1} size="h3" mb="sm">
          {t('settings.title')}
        </Title>
        <Alert color="yellow">{t('settings.onlyAdmins')}</Alert>
      </Box>
    );
  }
  const tenantId = me.tenant.id;
  return (
    <Box p="sm" maw={1100} mx="auto">
      <Title order={1} size="h3" mb="sm">
        {t('settings.title')}
      </Title>
      <Tabs
        value={tab}
        onChange={(value) => void navigate({ search: { tab: (value ?? 'branches') as Tab } })}
      >
        <Tabs.List mb="sm">
          <Tabs.Tab value="branches">{t('settings.branches')}</Tabs.Tab>
          <Tabs.Tab value="team">{t('settings.team')}</Tabs.Tab>
          <Tabs.Tab value="listings">{t('settings.listings')}</Tabs.Tab>
          <Tabs.Tab value="links">{t('settings.links')}</Tabs.Tab>
          <Tabs.Tab value="followups">{t('policy.tab')}</Tabs.Tab>
          <Tabs.Tab value="commerce">{t('commerce.tab')}</Tabs.Tab>
          <Tabs.Tab value="shopFacts">{t('shopFacts.tab')}</Tabs.Tab>
          <Tabs.Tab value="whatsapp">{t('waChannel.tab')}</Tabs.Tab>
          <Tabs.Tab value="quickReplies">{t('quickReplies.tab')}</Tabs.Tab>
          {me.user.role === 'OWNER' && <Tabs.Tab value="apiKeys">{t('settings.apiKeys')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="branches">
          <BranchesPanel tenantId={tenantId} />
        </Tabs.Panel>
        <Tabs.Panel value="team">
          <TeamPanel tenantId={tenantId} meId={me.user.id} meRole={me.user.role} />
        </Tabs.Panel>
        <Tabs.Panel value="listings">
          <ListingsPanel tenantId={tenantId} />
        </Tabs.Panel>
        <Tabs.Panel value="links">
          <LinksPanel tenantId={tenantId} />
        </Tabs.Panel>
        <Tabs.Panel value="followups">
          <FollowupPolicyPanel tenantId={tenantId} />
        </Tabs.Panel>
        <Tabs.Panel value="commerce">
          <CommerceSettingsPanel tenantId={tenantId} />
        </Tabs.Panel>
        <Tabs.Panel value="shopFacts">
          <ShopFactsPanel tenantId={tenantId} />
        </Tabs.Panel>
        <Tabs.Panel value="whatsapp">
          <WhatsappPanel tenantId={tenantId} canEdit={me.user.role === 'OWNER'} />
        </Tabs.Panel>
        <Tabs.Panel value="quickReplies">
          <QuickRepliesPanel tenantId={tenantId} />
        </Tabs.Panel>
        {me.user.role === 'OWNER' && (
          <Tabs.Panel value="apiKeys">
            <ApiKeysPanel tenantId={tenantId} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Box>
  );
}
