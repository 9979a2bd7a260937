import { useCallback, useEffect, useState } from 'react';
import { formatRoute, parseRoute, type Route } from './route.js';

/**
 * The view's state, kept in the address bar: each change is a history entry, so back and forward
 * walk through what the user opened and a reload (or a shared link) lands on the same view.
 */
export function useRoute(): [Route, (change: Partial<Route>) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.search));

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((change: Partial<Route>) => {
    const next = { ...parseRoute(window.location.search), ...change };
    const search = formatRoute(next);
    if (search !== window.location.search) window.history.pushState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
    setRoute(next);
  }, []);

  return [route, navigate];
}
