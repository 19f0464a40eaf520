import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  NativeSelect,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import {
  type Import,
  type ImportKind,
  type ImportMapping,
  importFields,
  requiredImportFields,
} from '@techmarket/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiMutation } from '../../../lib/mutation';
import { problemMessage } from '../../../lib/problem-message';
import { useSession } from '../../../lib/session';
import { importQueryOptions, rejectionsUrl, startImport, uploadImport } from '../api/imports';

/** The import screen of the signed-in shop (owners and managers). */
export function ImportsPage() {
  const me = useSession();
  return <ImportsView tenantId={me.tenant.id} />;
}

/**
 * Import in three steps: upload a file, check the preview and choose which column is which (the API suggests a
 * mapping, remembered from the last import of the same kind), then follow the job's progress to its result and
 * the report of rejected rows.
 */
export function ImportsView({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ImportKind>('contacts');
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<Import | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [started, setStarted] = useState(false);

  const upload = useApiMutation({
    mutationFn: (input: { kind: ImportKind; file: File }) => uploadImport(tenantId, input.kind, input.file),
    onSuccess: (answer) => {
      setUploaded(answer);
      setMapping(answer.mapping);
    },
  });
  const start = useApiMutation({
    mutationFn: (input: { importId: string; mapping: ImportMapping }) =>
      startImport(input.importId, input.mapping),
    onSuccess: () => setStarted(true),
  });
  const progress = useQuery({ ...importQueryOptions(uploaded?.id ?? ''), enabled: started && !!uploaded });

  const reset = () => {
    setUploaded(null);
    setFile(null);
    setMapping({});
    setStarted(false);
    upload.reset();
    start.reset();
  };

  return (
    <Stack gap="md" maw={960}>
      <Title order={2}>{t('imports.title')}</Title>
      <Text c="dimmed">{t('imports.intro')}</Text>
      <Text size="sm">{t('imports.rekey')}</Text>

      {!uploaded && (
        <Paper withBorder p="md">
          <Stack>
            <div>
              <Text size="sm" fw={500} mb={4} id="import-kind">
                {t('imports.kind')}
              </Text>
              <SegmentedControl
                aria-labelledby="import-kind"
                value={kind}
                onChange={(value) => setKind(value as ImportKind)}
                data={[
                  { value: 'contacts', label: t('imports.kinds.contacts') },
                  { value: 'listings', label: t('imports.kinds.listings') },
                ]}
              />
            </div>
            <FileInput
              label={t('imports.file')}
              placeholder={t('imports.filePlaceholder')}
              accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              value={file}
              onChange={setFile}
              clearable
            />
            {upload.error && <Alert color="red">{problemMessage(upload.error, t)}</Alert>}
            <Group>
              <Button
                disabled={!file}
                loading={upload.isPending}
                onClick={() => file && void upload.mutateAsync({ kind, file }).catch(() => undefined)}
              >
                {t('imports.upload')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      {uploaded && !started && (
        <MappingStep
          job={uploaded}
          mapping={mapping}
          onChange={setMapping}
          error={start.error ? problemMessage(start.error, t) : null}
          starting={start.isPending}
          onStart={() => void start.mutateAsync({ importId: uploaded.id, mapping }).catch(() => undefined)}
          onCancel={reset}
        />
      )}

      {uploaded && started && <ProgressStep job={progress.data ?? null} onAnother={reset} />}
    </Stack>
  );
}

function MappingStep({
  job,
  mapping,
  onChange,
  error,
  starting,
  onStart,
  onCancel,
}: {
  job: Import;
  mapping: ImportMapping;
  onChange: (mapping: ImportMapping) => void;
  error: string | null;
  starting: boolean;
  onStart: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const required: readonly string[] = requiredImportFields[job.kind];
  const missing = required.some((field) => !mapping[field]);
  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('imports.mapping')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('imports.mappingHint')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {importFields[job.kind].map((field) => (
            <NativeSelect
              key={field}
              label={t(`imports.fields.${field}`)}
              description={required.includes(field) ? t('imports.required') : undefined}
              withAsterisk={required.includes(field)}
              data={[{ value: '', label: t('imports.notMapped') }, ...job.headers]}
              value={mapping[field] ?? ''}
              onChange={(event) => {
                const header = event.currentTarget.value;
                const next = { ...mapping };
                if (header) next[field] = header;
                else delete next[field];
                onChange(next);
              }}
            />
          ))}
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4">
            {t('imports.preview')}
          </Title>
          {job.encoding && (
            <Text size="xs" c="dimmed">
              {t('imports.encoding', { encoding: job.encoding })}
            </Text>
          )}
        </Group>
        <Table.ScrollContainer minWidth={500}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                {job.headers.map((header) => (
                  <Table.Th key={header}>{header}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {job.preview.map((row, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity but their place
                <Table.Tr key={index}>
                  {job.headers.map((header, column) => (
                    <Table.Td key={header}>{row[column]}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {error && <Alert color="red">{error}</Alert>}
      <Group>
        <Button onClick={onStart} loading={starting} disabled={missing}>
          {t('imports.start')}
        </Button>
        <Button variant="default" onClick={onCancel}>
          {t('imports.another')}
        </Button>
      </Group>
    </Stack>
  );
}

function ProgressStep({ job, onAnother }: { job: Import | null; onAnother: () => void }) {
  const { t } = useTranslation();
  const total = job?.total ?? null;
  const done = job?.processed ?? 0;
  const percent = total ? Math.round((100 * done) / total) : job?.status === 'DONE' ? 100 : 0;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group justify="space-between">
          <Text fw={500}>{job ? t(`imports.status.${job.status}`) : t('imports.status.QUEUED')}</Text>
          <Text size="sm" c="dimmed">
            {total === null ? t('imports.counting') : t('imports.progress', { done, total })}
          </Text>
        </Group>
        <Progress value={percent} aria-label={t('imports.progressLabel')} animated={job?.status !== 'DONE'} />
        {job?.status === 'DONE' && (
          <>
            <Text>
              {t('imports.result', { imported: job.imported, updated: job.updated, rejected: job.rejected })}
            </Text>
            {job.rejected > 0 && (
              <>
                <Anchor href={rejectionsUrl(job.id)} download>
                  {t('imports.rejectedReport')}
                </Anchor>
                <Title order={3} size="h5">
                  {t('imports.rejectedTitle')}
                </Title>
                <Table withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('imports.row')}</Table.Th>
                      <Table.Th>{t('imports.column')}</Table.Th>
                      <Table.Th>{t('imports.reason')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {job.errors.slice(0, 20).map((error) => (
                      <Table.Tr key={`${error.row}:${error.field}`}>
                        <Table.Td>{error.row}</Table.Td>
                        <Table.Td>{error.field}</Table.Td>
                        <Table.Td>{error.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </>
            )}
            <Group>
              <Button variant="default" onClick={onAnother}>
                {t('imports.another')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
