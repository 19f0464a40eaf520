import { Alert, Badge, Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Customer, CustomerDuplicate } from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../components/query-state';
import { useApiMutation } from '../../../lib/mutation';
import { formatPhone } from '../../../lib/phone';
import { problemMessage } from '../../../lib/problem-message';
import { customersKey, duplicatesQueryOptions, mergeCustomers } from '../api/customers';

const nameOf = (c: Pick<Customer, 'name' | 'phone'>, fallback: string) =>
  c.name ?? (formatPhone(c.phone) || fallback);

/** Other records of the same person, and merging one into this customer after saying what will move. */
export function CustomerDuplicates({ tenantId, customer }: { tenantId: string; customer: Customer }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const duplicates = useQuery(duplicatesQueryOptions(tenantId, customer.id));
  const [chosen, setChosen] = useState<CustomerDuplicate | null>(null);
  const merge = useApiMutation({
    mutationFn: (duplicateId: string) =>
      mergeCustomers(customer.id, { duplicateId, version: customer.version }),
    onSuccess: (merged) => {
      setChosen(null);
      void queryClient.invalidateQueries({ queryKey: customersKey });
      notifications.show({ color: 'green', message: t('customers.merged', merged.merged.moved) });
    },
  });
  const noName = t('customers.noName');

  return (
    <Card withBorder data-testid="customer-duplicates">
      <Title order={2} size="h5" mb="xs">
        {t('customers.duplicates')}
      </Title>
      {duplicates.isPending ? (
        <Loading />
      ) : duplicates.isError ? (
        <ErrorState error={duplicates.error} onRetry={() => void duplicates.refetch()} />
      ) : duplicates.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('customers.noDuplicates')}
        </Text>
      ) : (
        <Stack gap="xs">
          {duplicates.data.items.map((dupe) => (
            <Group key={dupe.customer.id} justify="space-between" wrap="nowrap" data-testid="duplicate-row">
              <div>
                <Text fw={600}>{nameOf(dupe.customer, noName)}</Text>
                <Text size="sm" c="dimmed">
                  {[formatPhone(dupe.customer.phone), dupe.customer.email].filter(Boolean).join(' · ')}
                </Text>
                <Group gap={4}>
                  {dupe.reasons.map((reason) => (
                    <Badge key={reason} size="xs" variant="light" color="orange">
                      {t(`customers.reason.${reason}`)}
                    </Badge>
                  ))}
                </Group>
              </div>
              <Button size="xs" variant="default" onClick={() => setChosen(dupe)}>
                {t('customers.merge')}
              </Button>
            </Group>
          ))}
        </Stack>
      )}
      <Modal opened={chosen !== null} onClose={() => setChosen(null)} title={t('customers.mergeTitle')}>
        {chosen && (
          <Stack gap="sm">
            <Text>
              {t('customers.mergeInto', {
                other: nameOf(chosen.customer, noName),
                name: nameOf(customer, noName),
              })}
            </Text>
            <Text data-testid="merge-moves">{t('customers.mergeMoves', chosen.belongings)}</Text>
            <Text size="sm" c="dimmed">
              {t('customers.mergeKeeps')}
            </Text>
            {merge.isError && (
              <Alert color="red" role="alert">
                {problemMessage(merge.error, t)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button loading={merge.isPending} onClick={() => merge.mutate(chosen.customer.id)}>
                {t('customers.mergeConfirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}
