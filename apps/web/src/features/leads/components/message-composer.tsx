import {
  Alert,
  Button,
  Group,
  NativeSelect,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Conversation,
  LeadDetail,
  SendMessageInput,
  WhatsappMessage,
  WhatsappTemplate,
} from '@techmarket/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRequest } from '../../../lib/api-client';
import { formatMoney } from '../../../lib/format';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { fieldError, templatesQueryOptions, upsertMessage } from '../../../lib/whatsapp';
import { QuickReplyPicker } from '../../quick-replies';
import { readAssistance } from './assistant-card';

type Mode = 'text' | 'template';
const templateKey = (t: Pick<WhatsappTemplate, 'name' | 'language'>) => `${t.name}|${t.language}`;

/** The template's body with its variables put in (what the customer will read). */
export const fillTemplate = (body: string, values: string[]) =>
  body.replace(/\{\{\s*(\d{1,2})\s*\}\}/g, (whole, n: string) => values[Number(n) - 1] || whole);

/** What the lead gives a template's variables, in order: {{1}} the name, {{2}} the product, {{3}} its price. */
export function leadVariables(lead: LeadDetail, language: string): string[] {
  return [
    lead.contact.name ?? '',
    lead.listing?.title ?? '',
    lead.listing ? formatMoney(lead.listing.price, lead.listing.currency, language) : '',
  ];
}

/**
 * Answers on WhatsApp: free text inside the 24-hour window (the assistant's suggestion goes in with one tap);
 * outside it, an approved template of the branch's account with its variables filled from the lead, editable.
 * A 422 shows under the field it names.
 */
export function MessageComposer({ lead, window }: { lead: LeadDetail; window: Conversation['window'] }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>(window.open ? 'text' : 'template');
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [variables, setVariables] = useState<string[]>([]);
  const templates = useQuery(templatesQueryOptions(lead.tenantId, lead.branchId));
  const approved = (templates.data?.items ?? []).filter((tpl) => tpl.status === 'APPROVED');
  const template = approved.find((tpl) => templateKey(tpl) === chosen) ?? null;
  const suggestion = readAssistance(lead.assistance)?.suggestedReply;
  const current: Mode = window.open ? mode : 'template';

  const send = useApiMutation({
    mutationFn: (body: SendMessageInput) =>
      apiRequest<WhatsappMessage>(`/leads/${lead.id}/messages`, { method: 'POST', body }),
    onSuccess: (message) => {
      upsertMessage(queryClient, lead.id, message);
      setText('');
      setChosen(null);
      setVariables([]);
    },
  });
  const error = send.error;
  const textError = fieldError(error, t, 'text');
  const nameError = fieldError(error, t, 'template.name', 'template', 'template.language');
  const variablesError = fieldError(error, t, 'template.variables');
  const otherError =
    error && !textError && !nameError && !variablesError ? problemMessage(error, t) : undefined;

  const choose = (key: string | null) => {
    setChosen(key);
    const picked = approved.find((tpl) => templateKey(tpl) === key);
    const fromLead = leadVariables(lead, i18n.language);
    setVariables(Array.from({ length: picked?.variableCount ?? 0 }, (_, i) => fromLead[i] ?? ''));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (current === 'text') {
      if (text.trim()) send.mutate({ text: text.trim() });
    } else if (template) {
      send.mutate({
        template: {
          name: template.name,
          language: template.language,
          ...(variables.length > 0 ? { variables: variables.map((v) => v.trim()) } : {}),
        },
      });
    }
  };

  return (
    <Stack
      renderRoot={(props) => <form {...props} onSubmit={submit} noValidate />}
      gap="xs"
      mt="sm"
      aria-label={t('chat.composer')}
    >
      {window.open ? (
        <SegmentedControl
          size="xs"
          value={current}
          onChange={(value) => setMode(value as Mode)}
          data={[
            { value: 'text', label: t('chat.modeText') },
            { value: 'template', label: t('chat.modeTemplate') },
          ]}
        />
      ) : (
        <Text size="xs" c="dimmed" data-testid="window-closed-hint">
          {t('chat.closedHint')}
        </Text>
      )}

      {current === 'text' ? (
        <>
          <Textarea
            label={t('chat.message')}
            placeholder={t('chat.messagePlaceholder')}
            autosize
            minRows={2}
            maxRows={8}
            maxLength={4096}
            value={text}
            error={textError}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Group gap="xs">
            <QuickReplyPicker lead={lead} onPick={setText} />
            {suggestion && (
              <Button variant="subtle" size="compact-xs" color="grape" onClick={() => setText(suggestion)}>
                {t('chat.useSuggestion')}
              </Button>
            )}
          </Group>
        </>
      ) : (
        <>
          {/* Native: on a phone the system's own picker. */}
          <NativeSelect
            label={t('chat.templatePicker')}
            data={[
              { value: '', label: approved.length > 0 ? t('chat.pickTemplate') : t('chat.noTemplates') },
              ...approved.map((tpl) => ({ value: templateKey(tpl), label: `${tpl.name} · ${tpl.language}` })),
            ]}
            value={chosen ?? ''}
            onChange={(e) => choose(e.currentTarget.value || null)}
            disabled={approved.length === 0}
            error={nameError}
          />
          {template?.bodyText && (
            <Text
              size="sm"
              p="xs"
              bg="var(--mantine-color-default-hover)"
              style={{ whiteSpace: 'pre-wrap', borderRadius: 6 }}
              data-testid="template-preview"
            >
              {fillTemplate(template.bodyText, variables)}
            </Text>
          )}
          {variables.map((value, i) => (
            <TextInput
              // biome-ignore lint/suspicious/noArrayIndexKey: the variables are positional ({{1}}, {{2}}...).
              key={i}
              size="xs"
              label={t('chat.variable', { n: i + 1 })}
              value={value}
              onChange={(e) => {
                const next = [...variables];
                next[i] = e.currentTarget.value;
                setVariables(next);
              }}
            />
          ))}
          {variablesError && (
            <Text size="xs" c="red" role="alert">
              {variablesError}
            </Text>
          )}
        </>
      )}

      {otherError && (
        <Alert color="red" p="xs">
          {otherError}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button
          type="submit"
          color="green"
          size="sm"
          loading={send.isPending}
          disabled={current === 'text' ? !text.trim() : !template || variables.some((v) => !v.trim())}
        >
          {t('chat.send')}
        </Button>
      </Group>
    </Stack>
  );
}
