import { Button, Card, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createQuickReplyBody, type QuickReply, unknownQuickReplyVariables } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { useBackCloses } from '../../../lib/back-closes';
import { contractResolver, problemFieldErrors } from '../../../lib/form';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import {
  createQuickReply,
  deleteQuickReply,
  quickRepliesKey,
  quickRepliesQueryOptions,
  updateQuickReply,
} from '../api/quick-replies';

/** The variables a reply may use, in the language the screen speaks. */
const variablesByLanguage: Record<string, string[]> = {
  es: ['{nombre}', '{producto}', '{precio}'],
  pt: ['{nome}', '{produto}', '{preço}'],
  en: ['{name}', '{product}', '{price}'],
};

type QuickReplyFormValues = z.input<typeof createQuickReplyBody>;
const blank: QuickReplyFormValues = { title: '', text: '' };
const fields = ['title', 'text'] as const;

/** Settings: the shop's quick replies (OWNER and MANAGER keep them; sellers pick them in the composer). */
export function QuickRepliesPanel({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const replies = useQuery(quickRepliesQueryOptions(tenantId));
  const [opened, { open, close }] = useDisclosure(false);
  useBackCloses(opened, close);
  // The reply being edited (its id and the version read), or null for a new one.
  const [editing, setEditing] = useState<QuickReply | null>(null);
  const variables = variablesByLanguage[i18n.language.slice(0, 2)] ?? variablesByLanguage.es ?? [];
  const resolve = contractResolver<QuickReplyFormValues>(createQuickReplyBody, t);
  const form = useForm<QuickReplyFormValues>({
    initialValues: blank,
    // The contract refuses an unknown `{variable}` in English; here it is named, with the ones to use.
    validate: (values) => {
      const errors = resolve(values);
      const unknown = unknownQuickReplyVariables(values.text);
      if (unknown.length > 0)
        errors.text = t('quickReplies.unknownVariable', {
          words: unknown.map((word) => `{${word}}`).join(', '),
          variables: variables.join(', '),
        });
      return errors;
    },
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: quickRepliesKey(tenantId) });
  const fail = (error: unknown) =>
    notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) });
  const save = useApiMutation({
    mutationFn: (input: { reply: QuickReply | null; values: z.output<typeof createQuickReplyBody> }) =>
      input.reply
        ? updateQuickReply(input.reply.id, { ...input.values, version: input.reply.version })
        : createQuickReply(tenantId, input.values),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('quickReplies.saved') });
      close();
      form.reset();
    },
    onError: (error) => {
      form.setErrors(problemFieldErrors(error, fields, t).errors);
      fail(error);
    },
    onSettled: refresh,
  });
  const remove = useApiMutation({
    mutationFn: (reply: QuickReply) => deleteQuickReply(reply.id),
    lockPer: (reply) => reply.id,
    onSuccess: () => notifications.show({ color: 'teal', message: t('quickReplies.deleted') }),
    onError: fail,
    onSettled: refresh,
  });

  const edit = (reply: QuickReply | null) => {
    setEditing(reply);
    form.setValues(reply ? { title: reply.title, text: reply.text } : blank);
    form.clearErrors();
    open();
  };
  // What is sent is what the contract reads (trimmed), as the API would read it.
  const submit = form.onSubmit((values) =>
    save.mutate({ reply: editing, values: createQuickReplyBody.parse(values) }),
  );

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>
          {t('quickReplies.intro')}
        </Text>
        <Button onClick={() => edit(null)}>{t('quickReplies.add')}</Button>
      </Group>
      {replies.isPending ? (
        <Loading />
      ) : replies.isError ? (
        <ErrorState error={replies.error} onRetry={() => void replies.refetch()} />
      ) : replies.data.length === 0 ? (
        <EmptyState title={t('quickReplies.empty')} />
      ) : (
        replies.data.map((reply) => (
          <Card key={reply.id} withBorder padding="sm" data-testid="quick-reply">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Text fw={600} size="sm">
                  {reply.title}
                </Text>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                  {reply.text}
                </Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                <Button size="compact-sm" variant="subtle" onClick={() => edit(reply)}>
                  {t('quickReplies.edit')}
                </Button>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  loading={remove.isPending && remove.variables?.id === reply.id}
                  onClick={() => {
                    if (window.confirm(t('quickReplies.confirmDelete', { title: reply.title })))
                      remove.mutate(reply);
                  }}
                >
                  {t('quickReplies.delete')}
                </Button>
              </Group>
            </Group>
          </Card>
        ))
      )}
      <Modal opened={opened} onClose={close} title={editing ? t('quickReplies.edit') : t('quickReplies.add')}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label={t('quickReplies.title')}
              description={t('quickReplies.titleHint')}
              maxLength={60}
              {...form.getInputProps('title')}
              data-autofocus
            />
            <Textarea
              label={t('quickReplies.text')}
              rows={4}
              maxLength={1000}
              {...form.getInputProps('text')}
            />
            <Group gap={4}>
              <Text size="xs" c="dimmed">
                {t('quickReplies.insertVariable')}:
              </Text>
              {variables.map((variable) => (
                <Button
                  key={variable}
                  size="compact-xs"
                  variant="light"
                  onClick={() => form.setFieldValue('text', `${form.values.text}${variable}`)}
                >
                  {variable}
                </Button>
              ))}
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('quickReplies.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t('quickReplies.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
