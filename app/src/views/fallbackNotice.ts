/**
 * When the model fails, the backend puts a notice naming the reason at the top of the offline
 * answer (so the CLI and a Markdown export say why) and also returns the reason as a field. The Ask
 * view shows the field as its own note, so it drops that notice from the text it renders.
 */
export function withoutFallbackNotice(answer: string, reason: string | undefined): string {
  if (!reason) return answer;
  const paragraphs = answer.split(/\n\s*\n/);
  const first = paragraphs[0] ?? '';
  const isNotice = first.trimStart().startsWith('>') && first.includes(reason);
  return isNotice ? paragraphs.slice(1).join('\n\n').trimStart() : answer;
}
