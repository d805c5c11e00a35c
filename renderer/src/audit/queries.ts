import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import type { AuditFilter } from '../../../contract/index.js';
import { request } from '../client/channel-query.js';

const PAGE = 200;

/** Audit rows newest first, one keyset page at a time (the next page starts below the last log id shown). */
export const useAuditEntries = (filter: AuditFilter) =>
  useInfiniteQuery({
    queryKey: ['audit/list-entries', filter] as const,
    queryFn: ({ pageParam }) => request('audit/list-entries', { filter, limit: PAGE, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    staleTime: 30_000,
  });

export const useExportCsv = () => useMutation({ mutationFn: (filter: AuditFilter) => request('audit/export-csv', { filter }) });

// The report is kept only while shown: each press is a new walk of the chain.
export const useVerifyChain = () => useMutation({ mutationFn: () => request('audit/verify-chain', {}), gcTime: 0 });
