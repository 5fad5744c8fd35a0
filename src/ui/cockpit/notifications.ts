import type { FlowerConfig } from '../../config/config.js';

/**
 * What the terminal is sent when an agent wants the operator: the bell, and a desktop notification
 * (OSC 9 and OSC 777) when configured — by default only when the agent needs the operator.
 * Empty when neither is wanted.
 */
export function attentionBytes(notify: FlowerConfig['notify'], agent: string, reason: string, needsYou: boolean): string {
  const text = (needsYou ? `${agent} ${reason}` : `${agent}: ${reason}`).replace(/[\x00-\x1f\x7f]/g, ' ');
  let out = notify.bell ? '\x07' : '';
  if (notify.desktop ?? needsYou) out += `\x1b]9;flower-tui: ${text}\x07\x1b]777;notify;flower-tui;${text}\x07`;
  return out;
}
