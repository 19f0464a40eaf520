import {
  Alert,
  Anchor,
  Box,
  Button,
  Grid,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type Campaign, type CampaignType, campaignTypes } from '@techmarket/contracts';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { useApiMutation } from '../../../lib/mutation';
import { fieldErrorSentence, isVersionConflict, problemMessage } from '../../../lib/problem-message';
import {
  type CampaignInput,
  campaignQueryOptions,
  campaignsKey,
  createCampaign,
  updateCampaign,
} from '../api/campaigns';
import { fromLocalInput, toLocalInput } from '../api/local-time';
import { compileSegment, type DraftRule, draftOf } from '../api/segments';
import { SegmentBuilder } from './segment-builder';
import { SegmentPreviewCard } from './segment-preview-card';

/** Form fields the API can name in a problem+json (`body.endAt`, `endAt`). */
const formFields = ['name', 'type', 'startAt', 'endAt', 'messageTemplate', 'reactivation'] as const;
type FormField = (typeof formFields)[number];

/** The API's field errors split into the form's fields, the segment's rules (by index) and the rest. */
function fieldErrorsOf(error: unknown, t: TFunction) {
  const fields: Partial<Record<FormField, string>> = {};
  const rules: Record<number, string> = {};
  let unplaced = false;
  if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 422))
    return { fields, rules, unplaced: true };
  for (const e of error.problem?.errors ?? []) {
    const path = e.path.replace(/^body\.?/, '');
    const rule = /^segment\.rules\.(\d+)/.exec(path);
    const field = formFields.find((f) => path === f || path.startsWith(`${f}.`));
    if (rule) rules[Number(rule[1])] = fieldErrorSentence(e, t);
    else if (field) fields[field] = fieldErrorSentence(e, t);
    else unplaced = true;
  }
  if (!error.problem?.errors?.length) unplaced = true;
  return { fields, rules, unplaced };
}

/**
 * A campaign's name, type, message, window in the shop's time zone, reactivation pacing and segment, with the
 * segment's live count beside it. Creates a DRAFT, or edits one (sending the version read).
 */
export function CampaignEditor({
  tenantId,
  timeZone,
  campaign,
  onSaved,
}: {
  tenantId: string;
  timeZone: string;
  campaign: Campaign | null;
  /** Instead of opening the saved campaign (tests). */
  onSaved?: (campaign: Campaign) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(campaign?.name ?? '');
  const [type, setType] = useState<CampaignType>(campaign?.type ?? 'CATEGORY');
  const [message, setMessage] = useState(campaign?.messageTemplate ?? '');
  const [startAt, setStartAt] = useState(toLocalInput(campaign?.startAt ?? null, timeZone));
  const [endAt, setEndAt] = useState(toLocalInput(campaign?.endAt ?? null, timeZone));
  const [frequencyCapDays, setFrequencyCapDays] = useState<number | ''>(
    campaign?.reactivation?.frequencyCapDays ?? 30,
  );
  const [quietStart, setQuietStart] = useState(campaign?.reactivation?.quietHours.start ?? '21:00');
  const [quietEnd, setQuietEnd] = useState(campaign?.reactivation?.quietHours.end ?? '09:00');
  const [rules, setRules] = useState<DraftRule[]>(() => (campaign?.segment.rules ?? []).map(draftOf));
  const [tried, setTried] = useState(false);
  const compiled = compileSegment(rules);

  const mutation = useApiMutation({
    mutationFn: (input: CampaignInput) =>
      campaign ? updateCampaign(campaign, input) : createCampaign(tenantId, type, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(campaignQueryOptions(saved.id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
      notifications.show({ color: 'green', message: t(campaign ? 'campaigns.saved' : 'campaigns.created') });
      if (onSaved) onSaved(saved);
      else void navigate({ to: '/campaigns/$campaignId', params: { campaignId: saved.id } });
    },
    onError: (error) => {
      // Someone else saved first: say so (the form starts again from their version) rather than overwrite it.
      if (campaign && isVersionConflict(error)) {
        notifications.show({ color: 'orange', message: t('campaigns.versionConflict'), autoClose: 8000 });
        void queryClient.invalidateQueries({ queryKey: campaignQueryOptions(campaign.id).queryKey });
      }
    },
  });
  const apiErrors = mutation.isError
    ? fieldErrorsOf(mutation.error, t)
    : { fields: {}, rules: {}, unplaced: false };

  const start = fromLocalInput(startAt, timeZone);
  const end = fromLocalInput(endAt, timeZone);
  const nameError = tried && !name.trim() ? t('campaigns.nameRequired') : apiErrors.fields.name;
  const endError =
    tried && start && end && end <= start ? t('campaigns.endBeforeStart') : apiErrors.fields.endAt;
  const frequencyOk =
    typeof frequencyCapDays === 'number' && frequencyCapDays >= 1 && frequencyCapDays <= 365;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!name.trim() || (start && end && end <= start) || !compiled.segment) return;
    if (type === 'REACTIVATION' && !frequencyOk) return;
    mutation.mutate({
      name: name.trim(),
      startAt: start,
      endAt: end,
      segment: compiled.segment,
      messageTemplate: message.trim() || null,
      ...(type === 'REACTIVATION'
        ? {
            reactivation: {
              frequencyCapDays: Number(frequencyCapDays),
              quietHours: { start: quietStart, end: quietEnd },
            },
          }
        : {}),
    });
  };

  const back = campaign ? (
    <Anchor
      size="sm"
      renderRoot={(props) => (
        <Link {...props} to="/campaigns/$campaignId" params={{ campaignId: campaign.id }} />
      )}
    >
      ← {campaign.name}
    </Anchor>
  ) : (
    <Anchor size="sm" renderRoot={(props) => <Link {...props} to="/campaigns" />}>
      ← {t('campaigns.back')}
    </Anchor>
  );

  if (campaign?.status === 'ENDED')
    return (
      <Box p="sm" maw={1100} mx="auto">
        {back}
        <Alert color="gray" mt="sm">
          {t('campaigns.endedReadOnly')}
        </Alert>
      </Box>
    );

  return (
    <Box p="sm" maw={1100} mx="auto">
      {back}
      <Title order={1} size="h3" mt="xs" mb="sm">
        {campaign ? t('campaigns.editTitle') : t('campaigns.newTitle')}
      </Title>
      <form
        onSubmit={submit}
        noValidate
        aria-label={campaign ? t('campaigns.editTitle') : t('campaigns.newTitle')}
      >
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="md">
              <Paper withBorder p="sm" radius="md">
                <Stack gap="sm">
                  <TextInput
                    label={t('campaigns.name')}
                    placeholder={t('campaigns.namePlaceholder')}
                    value={name}
                    maxLength={120}
                    required
                    error={nameError}
                    onChange={(event) => setName(event.currentTarget.value)}
                  />
                  <NativeSelect
                    label={t('campaigns.type')}
                    description={t(`campaigns.typeHint.${type}`)}
                    value={type}
                    disabled={campaign !== null}
                    error={apiErrors.fields.type}
                    onChange={(event) => setType(event.currentTarget.value as CampaignType)}
                    data={campaignTypes.map((c) => ({ value: c, label: t(`campaigns.typeName.${c}`) }))}
                  />
                  <Textarea
                    label={t('campaigns.message')}
                    description={t('campaigns.messageHint')}
                    value={message}
                    maxLength={1000}
                    rows={3}
                    error={apiErrors.fields.messageTemplate}
                    onChange={(event) => setMessage(event.currentTarget.value)}
                  />
                  <Group gap="xs" align="flex-start" grow preventGrowOverflow={false}>
                    <TextInput
                      type="datetime-local"
                      label={t('campaigns.startAt')}
                      value={startAt}
                      error={apiErrors.fields.startAt}
                      onChange={(event) => setStartAt(event.currentTarget.value)}
                      miw={190}
                    />
                    <TextInput
                      type="datetime-local"
                      label={t('campaigns.endAt')}
                      value={endAt}
                      min={startAt || undefined}
                      error={endError}
                      onChange={(event) => setEndAt(event.currentTarget.value)}
                      miw={190}
                    />
                  </Group>
                  <Box mt={-8} fz="xs" c="dimmed">
                    {t('campaigns.timesHint', { timeZone })}
                  </Box>
                  {type === 'REACTIVATION' && (
                    <Stack gap="xs" role="group" aria-labelledby="reactivation-title">
                      <Title order={2} size="h5" id="reactivation-title">
                        {t('campaigns.reactivation')}
                      </Title>
                      <Group gap="xs" align="flex-start" grow preventGrowOverflow={false}>
                        <NumberInput
                          label={t('campaigns.frequencyCap')}
                          value={frequencyCapDays}
                          min={1}
                          max={365}
                          allowDecimal={false}
                          allowNegative={false}
                          error={
                            (tried && !frequencyOk ? t('campaigns.frequencyInvalid') : undefined) ??
                            apiErrors.fields.reactivation
                          }
                          onChange={(v) => setFrequencyCapDays(v === '' ? '' : Number(v))}
                          miw={160}
                        />
                        <TextInput
                          type="time"
                          label={t('campaigns.quietFrom')}
                          value={quietStart}
                          onChange={(event) => setQuietStart(event.currentTarget.value)}
                          miw={110}
                        />
                        <TextInput
                          type="time"
                          label={t('campaigns.quietTo')}
                          value={quietEnd}
                          onChange={(event) => setQuietEnd(event.currentTarget.value)}
                          miw={110}
                        />
                      </Group>
                    </Stack>
                  )}
                </Stack>
              </Paper>
              <SegmentBuilder
                tenantId={tenantId}
                rules={rules}
                onChange={setRules}
                problems={compiled.problems}
                errors={apiErrors.rules}
                showProblems={tried}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Box style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + 8px)' }}>
              <SegmentPreviewCard tenantId={tenantId} segment={compiled.segment} />
            </Box>
          </Grid.Col>
        </Grid>
        <Stack gap="xs" mt="md">
          {tried && !compiled.segment && (
            <Alert color="orange" role="alert">
              {t('campaigns.fixRules')}
            </Alert>
          )}
          {mutation.isError && apiErrors.unplaced && (
            <Alert color="red" role="alert">
              {isVersionConflict(mutation.error)
                ? t('campaigns.versionConflict')
                : problemMessage(mutation.error, t)}
            </Alert>
          )}
          {mutation.isError && !apiErrors.unplaced && (
            <Alert color="red" role="alert">
              {t('campaigns.fixFields')}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button
              variant="default"
              renderRoot={(props) =>
                campaign ? (
                  <Link {...props} to="/campaigns/$campaignId" params={{ campaignId: campaign.id }} />
                ) : (
                  <Link {...props} to="/campaigns" />
                )
              }
            >
              {t('campaigns.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('campaigns.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Box>
  );
}
