/**
 * Every non-2xx answer of the local API has this body, so scripts and the installer CLI can
 * branch on `error` (a stable code) and show `message` (for people) without parsing HTML.
 */
export type ApiErrorCode = 'not_found' | 'bad_request' | 'internal';

export interface ApiErrorBody {
  error: ApiErrorCode;
  message: string;
}

export function apiError(error: ApiErrorCode, message: string): ApiErrorBody {
  return { error, message };
}
