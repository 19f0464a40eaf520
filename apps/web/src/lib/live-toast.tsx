import { Button, Group } from '@mantine/core';

/** A live toast's line about a lead: its stage, and the one tap that opens it. */
export function LeadToastMessage({
  status,
  openLabel,
  onOpen,
}: {
  status: string;
  openLabel: string;
  onOpen: () => void;
}) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      {status}
      <Button size="compact-sm" variant="light" onClick={onOpen}>
        {openLabel}
      </Button>
    </Group>
  );
}
