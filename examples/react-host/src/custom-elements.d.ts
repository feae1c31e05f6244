/** Faultline's elements in JSX: attributes as the HTML names them, events as React 19 binds them (`on` + the event name). */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FaultlineEventMap } from '@faultline/widgets/components';

type Common = DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
  'base-url'?: string;
  project?: string;
  token?: string;
  theme?: 'light' | 'dark';
  'onfaultline-issue-select'?: (e: CustomEvent<FaultlineEventMap['faultline-issue-select']>) => void;
  'onfaultline-status-change'?: (e: CustomEvent<FaultlineEventMap['faultline-status-change']>) => void;
  'onfaultline-error'?: (e: CustomEvent<FaultlineEventMap['faultline-error']>) => void;
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'faultline-issue-list': Common & { query?: string; status?: 'unresolved' | 'resolved' | 'ignored' };
      'faultline-issue-detail': Common & { issue?: string };
      'faultline-trend-chart': Common & { issue?: string; interval?: 'hour' | 'day' };
      'faultline-dashboard': Common;
    }
  }
}
