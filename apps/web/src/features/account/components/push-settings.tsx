import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type PushAlert,
  type PushPreferences,
  pushAlerts,
  pushPreferencesSchema,
} from '@techmarket/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { currentPushSubscription, disablePush, enablePush, pushSupported } from '../../../lib/pwa';
import { supportedTimeZones } from '../../../lib/time-zones';
import { pushPreferencesQueryOptions, savePushPreferences } from '../api/push';

/** "Notificaciones": this device on or off, which alerts, and quiet hours (Mi cuenta). */
export function PushSettings() {
  const { t, i18n } = useTranslation();
  const supported = pushSupported();
  const [device, setDevice] = useState<boolean | null>(null);
  const [denied, setDenied] = useState(supported && Notification.permission === 'denied');

  useEffect(() => {
    if (!supported) return;
    void currentPushSubscription().then((subscription) => setDevice(subscription !== null));
  }, [supported]);

  const toggle = useApiMutation({
    mutationFn: async (on: boolean) => {
      if (!on) {
        await disablePush();
        return false;
      }
      const granted = await enablePush(i18n.language);
      setDenied(Notification.permission === 'denied');
      return granted;
    },
    onSuccess: (on) => {
      setDevice(on);
      if (on) notifications.show({ color: 'teal', message: t('push.enabled') });
    },
    onError: () => notifications.show({ color: 'red', message: t('push.failed') }),
  });

  return (
    <Card withBorder>
      <Stack>
        <div>
          <Title order={2} size="h5">
            {t('push.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('push.hint')}
          </Text>
        </div>
        {!supported ? (
          <Alert color="gray">{t('push.unsupported')}</Alert>
        ) : (
          <>
            {denied && <Alert color="yellow">{t('push.denied')}</Alert>}
            <Switch
              label={t('push.device')}
              checked={device === true}
              disabled={device === null || toggle.isPending || (denied && !device)}
              onChange={(event) => toggle.mutate(event.currentTarget.checked)}
            />
          </>
        )}
        <PushPreferencesForm />
      </Stack>
    </Card>
  );
}

function PushPreferencesForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const saved = useQuery(pushPreferencesQueryOptions);
  const [draft, setDraft] = useState<PushPreferences | null>(null);
  const [errors, setErrors] = useState<Record<string, boolean>>({});
  const values = draft ?? saved.data ?? null;

  const save = useApiMutation({
    mutationFn: savePushPreferences,
    onSuccess: (next) => {
      queryClient.setQueryData(pushPreferencesQueryOptions.queryKey, next);
      setDraft(null);
      notifications.show({ color: 'teal', message: t('push.saved') });
    },
  });
  if (!values) return null;
  const change = (next: PushPreferences) => setDraft(next);
  const setAlert = (alert: PushAlert, on: boolean) =>
    change({ ...values, alerts: { ...values.alerts, [alert]: on } });
  const quiet = values.quietHours;

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = pushPreferencesSchema.safeParse(values);
        setErrors(
          parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), true])),
        );
        if (parsed.success) save.mutate(parsed.data);
      }}
    >
      <Stack gap="sm">
        <Text size="sm" fw={500}>
          {t('push.alertsTitle')}
        </Text>
        {pushAlerts.map((alert) => (
          <Checkbox
            key={alert}
            label={t(`push.alerts.${alert}`)}
            checked={values.alerts[alert]}
            onChange={(event) => setAlert(alert, event.currentTarget.checked)}
          />
        ))}
        <Switch
          label={t('push.quiet')}
          description={t('push.quietHint')}
          checked={quiet !== null}
          onChange={(event) =>
            change({
              ...values,
              quietHours: event.currentTarget.checked ? { from: '22:00', to: '07:00' } : null,
            })
          }
        />
        {quiet && (
          <Group grow>
            <TextInput
              type="time"
              label={t('push.quietFrom')}
              value={quiet.from}
              error={errors['quietHours.from'] ? t('form.invalid') : undefined}
              onChange={(event) =>
                change({ ...values, quietHours: { ...quiet, from: event.currentTarget.value } })
              }
            />
            <TextInput
              type="time"
              label={t('push.quietTo')}
              value={quiet.to}
              error={errors['quietHours.to'] ? t('form.invalid') : undefined}
              onChange={(event) =>
                change({ ...values, quietHours: { ...quiet, to: event.currentTarget.value } })
              }
            />
          </Group>
        )}
        {quiet && (
          <NativeSelect
            label={t('push.timeZone')}
            value={values.timeZone ?? ''}
            data={[{ value: '', label: t('push.branchTimeZone') }, ...supportedTimeZones()]}
            onChange={(event) => change({ ...values, timeZone: event.currentTarget.value || null })}
          />
        )}
        {save.isError && (
          <Alert color="red" role="alert">
            {problemMessage(save.error, t)}
          </Alert>
        )}
        <Button type="submit" variant="light" loading={save.isPending} disabled={draft === null}>
          {t('push.save')}
        </Button>
      </Stack>
    </form>
  );
}
