/** The demo incident's public surface: the CLI (`causeway demo`) and the API's loadDemo() call it. */
export { writeDemoIncident, type DemoFiles, type DemoOptions } from './demoIncident.js';
