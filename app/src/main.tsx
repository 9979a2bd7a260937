import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App.js';
import { createClient } from './api/client.js';
import { ClientProvider } from './api/ClientContext.js';
import { I18nProvider } from './i18n/I18n.js';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // The workspace changes only through this app, which invalidates what it changed.
    queries: { staleTime: Infinity, refetchOnWindowFocus: false, retry: 1 },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <ClientProvider client={createClient()}>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <App />
        </I18nProvider>
      </QueryClientProvider>
    </ClientProvider>
  </StrictMode>,
);
