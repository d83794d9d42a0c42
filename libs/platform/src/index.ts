export { createKairosApp, runKairosApp, startKairosApp, type AppDefinition } from './bootstrap-app';
