import { createContext, useContext, type ReactNode } from 'react';
import type { CausewayClient } from './client.js';

const ClientContext = createContext<CausewayClient | null>(null);

export function ClientProvider({ client, children }: { client: CausewayClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): CausewayClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

/** react-query keys in one place, so imports can invalidate everything derived from the data. */
/** The ask panel's questions; the report export reads the answered ones back from the mutation cache. */
export const ASK_MUTATION_KEY = ['ask'] as const;

export const queryKeys = {
  workspace: ['workspace'] as const,
  overview: (window: unknown) => ['overview', window] as const,
  llmSettings: ['llmSettings'] as const,
  trace: (traceId: string) => ['trace', traceId] as const,
  span: (traceId: string, spanId: string) => ['span', traceId, spanId] as const,
  logs: (query: unknown) => ['logs', query] as const,
};
