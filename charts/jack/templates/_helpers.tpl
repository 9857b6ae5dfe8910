{{/* The chart's name. */}}
{{- define "jack.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name, the name of what the chart creates. */}}
{{- define "jack.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "jack.labels" -}}
app.kubernetes.io/name: {{ include "jack.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "jack.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jack.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "jack.serviceAccountName" -}}
{{- default (include "jack.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The namespaces the controller watches: with installScope namespace, the release's by default. */}}
{{- define "jack.watchNamespace" -}}
{{- if eq .Values.installScope "namespace" -}}
{{- default .Release.Namespace .Values.watchNamespace -}}
{{- else -}}
{{- .Values.watchNamespace -}}
{{- end -}}
{{- end -}}

{{- define "jack.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.namespace -}}
{{- end -}}

{{/* The services to serve, comma-separated: those of the services value, else all of the chart's. */}}
{{- define "jack.services" -}}
{{- $kinds := .Files.Get "kinds.yaml" | fromYaml -}}
{{- range .Values.services -}}
{{- if not (hasKey $kinds .) -}}
{{- fail (printf "services: this chart has no service %q; it has %s" . (keys $kinds | sortAlpha | join ", ")) -}}
{{- end -}}
{{- end -}}
{{- default (keys $kinds | sortAlpha) .Values.services | join "," -}}
{{- end -}}

{{/*
The controller's rules on its kinds, from kinds.yaml (which the build writes from the kinds'
descriptors): full use of the kinds its services own (never create or delete: those are the
user's), and reads of the kinds their references point to.
*/}}
{{- define "jack.kindRules" -}}
{{- $kinds := .Files.Get "kinds.yaml" | fromYaml -}}
{{- range $service := splitList "," (include "jack.services" .) }}
{{- $entry := get $kinds $service }}
{{- range $group, $plurals := $entry.owns }}
- apiGroups: [{{ $group | quote }}]
  resources: [{{ range $i, $p := $plurals }}{{ if $i }}, {{ end }}{{ $p | quote }}{{ end }}]
  verbs: [get, list, watch, patch, update]
- apiGroups: [{{ $group | quote }}]
  resources: [{{ range $i, $p := $plurals }}{{ if $i }}, {{ end }}{{ printf "%s/status" $p | quote }}{{ end }}]
  verbs: [get, patch, update]
{{- end }}
{{- range $group, $plurals := $entry.reads }}
- apiGroups: [{{ $group | quote }}]
  resources: [{{ range $i, $p := $plurals }}{{ if $i }}, {{ end }}{{ $p | quote }}{{ end }}]
  verbs: [get]
{{- end }}
{{- end }}
{{- end -}}

{{/* featureGates as the flag takes them: Gate=true,Other=false */}}
{{- define "jack.featureGates" -}}
{{- $gates := list -}}
{{- range $gate, $on := . -}}
{{- $gates = append $gates (printf "%s=%v" $gate $on) -}}
{{- end -}}
{{- join "," $gates -}}
{{- end -}}
