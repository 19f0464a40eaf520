import {
  ActionIcon,
  AppShell,
  Group,
  NativeSelect,
  NavLink,
  Stack,
  Switch,
  Text,
  Title,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackCloses } from '../lib/back-closes';
import { type Language, languages, setLanguage } from '../lib/i18n';
import { setSoundEnabled, soundEnabled, useLiveUpdates } from '../lib/live-updates';
import { promptInstall } from '../lib/pwa';
import { isAdmin, logout, useSession } from '../lib/session';
import { OfflineBanner } from './offline-banner';
import { useInstallOffer } from './pwa-prompts';

/** The frame of every signed-in screen: header with language, theme and logout; navigation. */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Mantine's sm breakpoint, where the menu stops being a drawer (read at once: no flash on a desktop).
  const desktop = useMediaQuery('(min-width: 48em)', undefined, { getInitialValueInEffect: false });
  const [menuOpened, setMenuOpened] = useState(false);
  if (opened && !menuOpened) setMenuOpened(true);
  const menuRendered = desktop || menuOpened;
  // On a phone the menu is a drawer: the back button closes it.
  useBackCloses(opened, close);
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const [sound, setSound] = useState(soundEnabled);
  const installable = useInstallOffer();
  useLiveUpdates(me.tenant.id, me.user.id);

  const signOut = async () => {
    await logout().catch(() => undefined);
    queryClient.setQueryData(['me'], null);
    await navigate({ to: '/login' });
    // After the signed-in screens are gone, so none of them refetches on the way out.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
  };

  const links = [
    { to: '/', label: t('nav.inbox'), active: pathname === '/' || pathname.startsWith('/leads') },
    { to: '/board', label: t('nav.board'), active: pathname === '/board' },
    { to: '/tasks', label: t('tasks.nav'), active: pathname === '/tasks' },
    { to: '/customers', label: t('customers.nav'), active: pathname.startsWith('/customers') },
    { to: '/tickets', label: t('tickets.nav'), active: pathname.startsWith('/tickets') },
    { to: '/quotes', label: t('quotes.nav'), active: pathname.startsWith('/quotes') },
    { to: '/dashboard', label: t('dashboard.nav'), active: pathname === '/dashboard' },
    ...(isAdmin(me)
      ? [{ to: '/campaigns', label: t('campaigns.nav'), active: pathname.startsWith('/campaigns') }]
      : []),
    ...(isAdmin(me) ? [{ to: '/imports', label: t('imports.nav'), active: pathname === '/imports' }] : []),
    ...(isAdmin(me) ? [{ to: '/settings', label: t('nav.settings'), active: pathname === '/settings' }] : []),
  ] as const;
  // A phone's thumb reaches the bottom: the three screens of a seller's day there, and the rest under "Más".
  const [inbox, board, tasks] = links;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      footer={{ height: { base: 60, sm: 0 } }}
      padding={0}
    >
      <a href="#main" className="tm-skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Title order={2} size="h4" style={{ whiteSpace: 'nowrap' }}>
              TechMarket
              <Text span inherit visibleFrom="xs">
                {' CRM'}
              </Text>
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NativeSelect
              aria-label={t('nav.language')}
              data-testid="language-select"
              size="xs"
              w={112}
              value={i18n.language}
              data={languages.map((l) => ({ value: l.code, label: l.label }))}
              onChange={(event) => void setLanguage(i18n, event.currentTarget.value as Language)}
            />
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={t('nav.toggleTheme')}
              onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
            >
              <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
            </ActionIcon>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.menu')}>
        {/* On a phone the menu is a closed drawer at first: its content is rendered once first opened, not with
            every first screen. */}
        {menuRendered && (
          <Stack justify="space-between" h="100%">
            <Stack gap={4}>
              {links.map((link) => (
                <NavLink
                  key={link.to}
                  component={Link}
                  to={link.to}
                  label={link.label}
                  active={link.active}
                  onClick={close}
                />
              ))}
            </Stack>
            <Stack gap="xs">
              {installable && (
                <NavLink
                  component="button"
                  label={t('pwa.install')}
                  description={t('pwa.installHint')}
                  onClick={() => void promptInstall()}
                />
              )}
              <Switch
                label={t('live.sound')}
                checked={sound}
                onChange={(event) => {
                  setSound(event.currentTarget.checked);
                  setSoundEnabled(event.currentTarget.checked);
                }}
              />
              <Text size="sm" fw={500} truncate>
                {me.user.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {me.tenant.name} · {t(`role.${me.user.role}`)}
              </Text>
              <NavLink
                component={Link}
                to="/account"
                label={t('account.nav')}
                active={pathname === '/account'}
                onClick={close}
              />
              <NavLink component="button" label={t('nav.logout')} onClick={() => void signOut()} />
            </Stack>
          </Stack>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <OfflineBanner />
        <Outlet />
      </AppShell.Main>
      <AppShell.Footer
        hiddenFrom="sm"
        component="nav"
        aria-label={t('nav.shortcuts')}
        className="tm-bottom-nav"
      >
        {[inbox, board, tasks].map((link) => (
          <UnstyledButton
            key={link.to}
            component={Link}
            to={link.to}
            className="tm-bottom-nav-item"
            data-active={link.active && !opened ? true : undefined}
            aria-current={link.active ? 'page' : undefined}
            onClick={close}
          >
            {link.label}
          </UnstyledButton>
        ))}
        <UnstyledButton
          className="tm-bottom-nav-item"
          data-active={opened ? true : undefined}
          aria-expanded={opened}
          onClick={toggle}
        >
          {t('nav.more')}
        </UnstyledButton>
      </AppShell.Footer>
    </AppShell>
  );
}
