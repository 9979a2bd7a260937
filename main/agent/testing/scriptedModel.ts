import type { ChatRequest, ChatTurn } from '../llm/chatClient.js';
import type { ChatModel } from '../llm/loop.js';

export type ScriptedTurn = { text: string } | { calls: { name: string; arguments: string | Record<string, unknown> }[] };

/** A model without a server: plays scripted turns in order and keeps every request it was sent. */
export function scriptedModel(turns: ScriptedTurn[]): ChatModel & { requests: ChatRequest[] } {
  const queue = [...turns];
  const requests: ChatRequest[] = [];
  return {
    requests,
    async chat(request): Promise<ChatTurn> {
      requests.push({ ...request, messages: [...request.messages] });
      const turn = queue.shift() ?? { text: 'no more scripted turns' };
      if ('text' in turn) {
        request.onContent?.(turn.text);
        return { content: turn.text, toolCalls: [], finishReason: 'stop' };
      }
      return {
        content: '',
        toolCalls: turn.calls.map((call, index) => ({ id: `call_${requests.length}_${index}`, name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) })),
        finishReason: 'tool_calls',
      };
    },
  };
}
