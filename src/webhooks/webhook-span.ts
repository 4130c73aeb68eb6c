/** What a delivery adds to its request's span, as its log line says it. */
interface DeliveryFacts {
  svixId?: string;
  type?: string;
  objectId?: string;
  outcome: string;
  reason?: string;
}

/**
 * The span attributes of a delivery: OpenTelemetry's messaging conventions where they fit (Svix
 * is the messaging system, svix-id its message id), `clerk.webhook.*` for the rest.
 */
export const deliverySpanAttributes = ({ svixId, type, objectId, outcome, reason }: DeliveryFacts) => ({
  'messaging.system': 'svix',
  'messaging.message.id': svixId,
  'clerk.webhook.event_type': type,
  'clerk.webhook.object_id': objectId,
  'clerk.webhook.outcome': outcome,
  'clerk.webhook.rejection_reason': reason,
});
