// Validates rendered objects against the Kubernetes OpenAPI schemas (kubernetes-models) and the
// CRD schemas of KEDA and the Prometheus operator. These check types, enums, formats and required
// fields; like the API server without strict field validation, they let unknown fields through,
// which is why the tests also assert the fields that matter one by one.
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { PodMonitor, PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import type { K8sObject } from './kubectl.js';

type Validating = new (data: never) => { validate(): void };

const MODELS: Record<string, Validating> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': AlertmanagerConfig,
};

/** Throws (naming the object) unless a model knows the object's kind and it validates. */
export function validateObject(obj: K8sObject): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const Model = MODELS[key];
  if (Model === undefined) throw new Error(`${key} ${obj.metadata.name}: no schema known for this kind (add its model to test/deploy/support/models.ts)`);
  try {
    new Model(obj as never).validate();
  } catch (err) {
    throw new Error(`${key} ${obj.metadata.name}: ${(err as Error).message}`, { cause: err });
  }
}
