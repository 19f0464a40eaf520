import { Button, Card, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createQuickReplyBody, type QuickReply } from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, Loading } from '../../../components/query-state';
import { ApiError } from '../../../lib/api-client';
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

type Draft = { id: string | null; version: number; title: string; text: string };
const blank: Draft = { id: null, version: 0, title: '', text: '' };

/** Settings: the shop's quick replies (OWNER and MANAGER keep them; sellers pick them in the composer). */
export function QuickRepliesPanel({ tenantId }: { tenantId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const replies = useQuery(quickRepliesQueryOptions(tenantId));
  const [opened, { open, close }] = useDisclosure(false);
  const [draft, setDraft] = useState<Draft>(blank);
  const [errors, setErrors] = useState<{ title?: string; text?: string }>({});
  const variables = variablesByLanguage[i18n.language.slice(0, 2)] ?? variablesByLanguage.es ?? [];

  const refresh = () => queryClient.invalidateQueries({ queryKey: quickRepliesKey(tenantId) });
  const fail = (error: unknown) => {
    const fields = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
    const named = (field: string) =>
      fields.find((e) => e.path === field || e.path === `body.${field}`)?.message;
    setErrors({ title: named('title'), text: named('text') });
    notifications.show({ color: 'red', title: t('errors.title'), message: problemMessage(error, t) });
  };
  const save = useApiMutation({
    mutationFn: (input: Draft) =>
      input.id
        ? updateQuickReply(input.id, { title: input.title, text: input.text, version: input.version })
        : createQuickReply(tenantId, { title: input.title, text: input.text }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('quickReplies.saved') });
      close();
      setDraft(blank);
    },
    onError: fail,
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
    setDraft(reply ? { id: reply.id, version: reply.version, title: reply.title, text: reply.text } : blank);
    setErrors({});
    open();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createQuickReplyBody.safeParse({ title: draft.title, text: draft.text });
    if (!parsed.success) {
      const message = (field: string) =>
        parsed.error.issues.find((issue) => issue.path[0] === field)?.message;
      setErrors({ title: message('title'), text: message('text') });
      return;
    }
    setErrors({});
    save.mutate({ ...draft, ...parsed.data });
  };

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
      <Modal
        opened={opened}
        onClose={close}
        title={draft.id ? t('quickReplies.edit') : t('quickReplies.add')}
      >
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label={t('quickReplies.title')}
              description={t('quickReplies.titleHint')}
              value={draft.title}
              maxLength={60}
              error={errors.title}
              onChange={(event) => setDraft({ ...draft, title: event.currentTarget.value })}
              data-autofocus
            />
            <Textarea
              label={t('quickReplies.text')}
              value={draft.text}
              rows={4}
              maxLength={1000}
              error={errors.text}
              onChange={(event) => setDraft({ ...draft, text: event.currentTarget.value })}
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
                  onClick={() => setDraft({ ...draft, text: `${draft.text}${variable}` })}
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
