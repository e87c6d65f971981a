import { createTerminal, fetchGatewayUrl, fetchWsTicket } from '../api';
import type { TerminalBackend } from './TerminalConnection';

/** The api-service calls a terminal connection makes, on behalf of the logged-in user. */
export function apiBackend(accessToken: string): TerminalBackend {
  return {
    gatewayUrl: fetchGatewayUrl,
    wsTicket: async () => (await fetchWsTicket(accessToken)).ticket,
    createTerminal: async (size) => (await createTerminal(accessToken, size)).id,
  };
}
