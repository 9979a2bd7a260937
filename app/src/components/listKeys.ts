import type { KeyboardEvent } from 'react';

/**
 * Arrow keys move the focus between the buttons of a list (Home and End jump to its ends), so a
 * keyboard user walks evidence, citations, sources and history without tabbing through each one.
 */
export function moveFocusInList(event: KeyboardEvent<HTMLElement>): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
  const items = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('button:not([disabled])'));
  if (items.length === 0) return;
  const current = items.indexOf(document.activeElement as HTMLElement);
  const next =
    event.key === 'Home'
      ? 0
      : event.key === 'End'
        ? items.length - 1
        : event.key === 'ArrowDown'
          ? Math.min(items.length - 1, current + 1)
          : Math.max(0, current < 0 ? 0 : current - 1);
  event.preventDefault();
  items[next]?.focus();
}
