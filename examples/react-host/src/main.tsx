import { createRoot } from 'react-dom/client';
import { App } from './app.js';

/** The page says where Faultline is and which project, on the root element's data attributes. */
const root = document.getElementById('root')!;
createRoot(root).render(<App baseUrl={root.dataset.baseUrl ?? '/faultline'} project={root.dataset.project ?? '1'} token={root.dataset.token ?? ''} />);
