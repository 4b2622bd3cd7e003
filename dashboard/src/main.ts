import { html } from 'htm/preact';
import { render } from 'preact';
import { createAuth } from './auth';
import { parseConfig, type DashboardConfig } from './config';
import { messageOf } from './messages';
import { App } from './views/app';

/** The stack writes config.json next to the page: one build serves every environment. */
async function loadConfig(): Promise<DashboardConfig> {
  let response: Response;
  try {
    response = await fetch('/config.json', { cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new Error('The dashboard configuration could not be loaded. Check your connection and reload the page.');
  }
  if (!response.ok) throw new Error(`The dashboard configuration could not be loaded (status ${response.status}).`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error('The dashboard configuration (config.json) is not valid JSON.');
  }
  return parseConfig(body);
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  try {
    const config = await loadConfig();
    render(html`<${App} config=${config} auth=${createAuth(config, window.location.origin)} />`, root);
  } catch (error) {
    render(
      html`<main class="centered"><h1>Café dashboard</h1><p role="alert" class="error">${messageOf(error)}</p></main>`,
      root,
    );
  }
}

void main();
