export { createKairosApp, runKairosApp, type AppDefinition } from './bootstrap-app';
