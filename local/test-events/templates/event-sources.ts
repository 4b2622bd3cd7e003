/** The stack's event source mappings, read with the names the templates are filled with. */
import { eventSourceMappings, type EventSourceMappingSettings } from '../../stack/event-source-mappings';
import type { SynthesizedStack } from '../../stack/synthesized-stack';
import type { ProvisionedStack } from '../../provision/provisioned-stack';

export function mappingsOf<S extends EventSourceMappingSettings['source']>(
  stack: SynthesizedStack,
  names: ProvisionedStack,
  source: S,
): Extract<EventSourceMappingSettings, { source: S }>[] {
  const streamArns = new Set([...names.tables.values()].flatMap((table) => (table.streamArn ? [table.streamArn] : [])));
  return eventSourceMappings(stack, (value) => names.resolve(value), streamArns).filter(
    (mapping): mapping is Extract<EventSourceMappingSettings, { source: S }> => mapping.source === source,
  );
}
