import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.js';
import { createClient } from './api/client.js';
import { ClientProvider } from './api/ClientContext.js';
import { I18nProvider } from './i18n/I18n.js';
import { parseRoute } from './state/route.js';
import { traceQuery } from './views/traceQueries.js';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // The workspace changes only through this app, which invalidates what it changed.
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});

const client = createClient();
// A link to a trace asks for it now, while React renders the app for the first time.
const linkedTrace = parseRoute(window.location.search).trace;
if (linkedTrace) void queryClient.prefetchQuery(traceQuery(client, linkedTrace));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <ClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <App />
        </I18nProvider>
      </QueryClientProvider>
    </ClientProvider>
  </StrictMode>,
);
