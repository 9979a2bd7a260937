import { useEffect, useState } from 'react';

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type Theme = 'light' | 'dark';

const THEME_KEY = 'causeway.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function resolveTheme(preference: ThemePreference, systemPrefersDark: boolean): Theme {
  if (preference === 'system') return systemPrefersDark ? 'dark' : 'light';
  return preference;
}

function savedPreference(): ThemePreference {
  const saved = window.localStorage.getItem(THEME_KEY);
  return (THEME_PREFERENCES as readonly (string | null)[]).includes(saved) ? (saved as ThemePreference) : 'system';
}

/** The theme preference (kept in localStorage) and the theme in force, set as <html data-theme>. */
export function useTheme(): { preference: ThemePreference; theme: Theme; setPreference(preference: ThemePreference): void } {
  const [preference, setPreference] = useState<ThemePreference>(savedPreference);
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(DARK_QUERY).matches);

  useEffect(() => {
    const media = window.matchMedia(DARK_QUERY);
    const onChange = () => setSystemDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);

  const theme = resolveTheme(preference, systemDark);
  useEffect(() => {
    window.localStorage.setItem(THEME_KEY, preference);
    document.documentElement.dataset.theme = theme;
  }, [preference, theme]);

  return { preference, theme, setPreference };
}
