/**
 * Every non-2xx answer of the local API has this body, so scripts and the installer CLI can
 * branch on `error` (a stable code) and show `message` (for people) without parsing HTML.
 *
 * A refused alarm or interlock command (409) carries the engine's refusal code instead
 * (`condition-present`, `not-applicable`), and the state the alarm or interlock is in.
 */
export type ApiErrorCode = 'not_found' | 'bad_request' | 'internal' | 'unauthorized' | 'forbidden' | 'unavailable';

export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
}

export function apiError(error: ApiErrorCode, message: string): ApiErrorBody {
  return { error, message };
}
