import { Button, Menu, ScrollArea, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { quickRepliesQueryOptions } from '../api/quick-replies';
import { fillQuickReplyForLead, type QuickReplyLead } from '../lib/fill-from-lead';

export interface QuickReplyPickerProps {
  /** The lead the reply is for: its shop's replies are listed, and its name, product and price fill them. */
  lead: QuickReplyLead & { tenantId: string };
  /** Called with the reply's text, variables filled; a variable the lead has no value for stays as `{producto}`. */
  onPick(text: string): void;
  disabled?: boolean;
}

/**
 * The composer's quick replies: a button that opens the shop's saved answers, searchable, and hands the chosen one
 * back filled from the lead. Self-contained: it reads the list itself.
 */
export function QuickReplyPicker({ lead, onPick, disabled }: QuickReplyPickerProps) {
  const { t, i18n } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState('');
  const replies = useQuery({ ...quickRepliesQueryOptions(lead.tenantId), enabled: opened });
  const needle = search.trim().toLowerCase();
  const shown = (replies.data ?? []).filter(
    (reply) => !needle || `${reply.title} ${reply.text}`.toLowerCase().includes(needle),
  );
  return (
    <Menu opened={opened} onChange={setOpened} position="top-start" width={320} withinPortal>
      <Menu.Target>
        <Button variant="light" size="compact-sm" disabled={disabled} aria-haspopup="menu">
          {t('quickReplies.picker')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {(replies.data?.length ?? 0) > 5 && (
          <TextInput
            size="xs"
            mb={4}
            placeholder={t('quickReplies.search')}
            aria-label={t('quickReplies.search')}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
          />
        )}
        {replies.isSuccess && replies.data.length === 0 && (
          <Text size="sm" c="dimmed" p="xs">
            {t('quickReplies.pickerEmpty')}
          </Text>
        )}
        <ScrollArea.Autosize mah={280}>
          {shown.map((reply) => (
            <Menu.Item
              key={reply.id}
              onClick={() => {
                onPick(fillQuickReplyForLead(reply.text, lead, i18n.language));
                setSearch('');
              }}
            >
              <Text size="sm" fw={600}>
                {reply.title}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {reply.text}
              </Text>
            </Menu.Item>
          ))}
        </ScrollArea.Autosize>
      </Menu.Dropdown>
    </Menu>
  );
}
