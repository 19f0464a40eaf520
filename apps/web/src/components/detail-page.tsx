import { Anchor, Box, Group } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link, type LinkProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { ErrorState, Loading } from './query-state';

/**
 * A page of one thing read by id (a quote, a ticket, a campaign): the way back to its list, then loading, the
 * error with a retry, or the thing itself as `children` draws it.
 */
export function DetailPage<Data>({
  back,
  query,
  maw,
  also,
  children,
}: {
  back: { to: LinkProps['to']; label: string };
  /** Other ways up once the thing is loaded, beside the way back (a quote's lead). */
  also?: (data: Data) => ReactNode;
  query: UseQueryResult<Data>;
  /** The widest the page grows on a large screen. */
  maw: number;
  children: (data: Data) => ReactNode;
}) {
  const backLink = (
    <Anchor size="sm" renderRoot={(props) => <Link {...props} to={back.to} />}>
      ← {back.label}
    </Anchor>
  );
  if (query.isPending)
    return (
      <Box p="sm">
        {backLink}
        <Loading />
      </Box>
    );
  if (query.isError)
    return (
      <Box p="sm">
        {backLink}
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </Box>
    );
  return (
    <Box p="sm" maw={maw} mx="auto">
      {also ? (
        <Group gap="md">
          {backLink}
          {also(query.data)}
        </Group>
      ) : (
        backLink
      )}
      {children(query.data)}
    </Box>
  );
}
