import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiError, FaultlineClient } from '../api/client.js';
import { emit } from '../events/events.js';
import { theme } from '../styles/theme.js';

/**
 * What every Faultline component shares: where Faultline is (`base-url`), which `project`, how to
 * authenticate (`token`, or the host's cookies without one) and the `theme`.
 */
export class FaultlineElement extends LitElement {
  static override styles = [theme];

  /** Where Faultline is mounted, as `/faultline` or `https://errors.example.com/faultline`. */
  @property({ attribute: 'base-url' }) accessor baseUrl = '';
  /** The project id. */
  @property() accessor project = '';
  /** A secret token (viewer, or member to change statuses); without one the host's session is used. */
  @property() accessor token = '';
  /** `light` or `dark`; unset follows `prefers-color-scheme`. */
  @property({ reflect: true }) accessor theme: '' | 'light' | 'dark' = '';

  private cachedClient: FaultlineClient | null = null;

  protected get client(): FaultlineClient {
    if (!this.cachedClient || this.cachedClient.baseUrl !== this.baseUrl || this.cachedClient.token !== (this.token || null)) {
      this.cachedClient = new FaultlineClient(this.baseUrl, this.token || null);
    }
    return this.cachedClient;
  }

  /** A failure as something to show, also announced with `faultline-error`. */
  protected failure(err: unknown): ApiError {
    const error = err instanceof ApiError ? err : new ApiError(0, 'CLIENT', (err as Error)?.message ?? String(err));
    emit(this, 'faultline-error', { status: error.status, code: error.code, message: error.message });
    return error;
  }
}
