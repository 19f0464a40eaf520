import { Button, Group, Paper, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { recordCampaignReply } from '../api/campaign-replies';
import { campaignsKey } from '../api/campaigns';

/**
 * A reply to a reactivation message that came without its task at hand (the customer wrote to the shop's general
 * number): typed by its code, recorded, and the lead it landed on opened.
 */
export function CampaignReplyForm({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorId = useId();
  const [code, setCode] = useState('');
  const reply = useApiMutation({
    mutationFn: (refCode: string) => recordCampaignReply(tenantId, { refCode }),
    onSuccess: (answer) => {
      setCode('');
      notifications.show({
        color: 'green',
        message: answer.created ? t('campaigns.reply.landedNew') : t('campaigns.reply.landedOpen'),
      });
      void navigate({ to: '/leads/$leadId', params: { leadId: answer.leadId } });
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: campaignsKey });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim()) reply.mutate(code.trim());
  };
  const error = reply.error;
  const message =
    error instanceof ApiError && error.status === 422 && error.problem?.errors?.[0]?.path === 'refCode'
      ? t('campaigns.reply.unknownCode')
      : error instanceof ApiError && error.status === 404
        ? t('campaigns.reply.otherBranch')
        : error
          ? problemMessage(error, t)
          : null;

  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="campaign-reply-title">
      <Title order={2} size="h5" id="campaign-reply-title">
        {t('campaigns.reply.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('campaigns.reply.hint')}
      </Text>
      <Group
        renderRoot={(props) => <form {...props} onSubmit={submit} noValidate />}
        gap="xs"
        align="flex-end"
        wrap="nowrap"
      >
        <TextInput
          label={t('campaigns.reply.code')}
          placeholder={t('campaigns.reply.placeholder')}
          value={code}
          maxLength={40}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          error={message !== null}
          aria-describedby={message ? errorId : undefined}
          onChange={(event) => {
            setCode(event.currentTarget.value);
            if (reply.isError) reply.reset();
          }}
          style={{ flex: '1 1 0', minWidth: 0 }}
        />
        <Button type="submit" loading={reply.isPending} disabled={!code.trim()}>
          {t('campaigns.reply.submit')}
        </Button>
      </Group>
      {message && (
        <Text size="sm" c="red.8" mt={4} id={errorId} role="alert">
          {message}
        </Text>
      )}
    </Paper>
  );
}
