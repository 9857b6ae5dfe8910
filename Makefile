# jack's entry points. `make run` and `make test` work on a fresh machine: each installs what it needs.
MVN ?= mvn -B -ntp

.PHONY: setup run test node-test reliability fmt generate charts bench

## Install etcd, kube-apiserver, kubectl, helm and moto into the cache (~/.cache/jack).
setup:
	testenv/install.sh

## Start the sandbox: a real Kubernetes API server, the moto AWS emulator and jack, until Ctrl-C
## (make run ARGS=--once: exit when the examples have converged, 0 when every one is synced).
run: setup
	$(MVN) -q -pl sandbox -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	java -cp "sandbox/target/classes:$$(cat sandbox/target/classpath.txt)" dev.jack.sandbox.Sandbox $(ARGS)

## Build, check formatting, run unit tests (*Test) and integration tests (*IT).
test: setup
	$(MVN) verify

## As root: the end-to-end suite on a real one-node cluster (kubelet, containerd, runc). Installs the
## node's parts (testenv/install-node.sh), builds the image and the charts, and runs NodeIT alone;
## the machine is restored and checked after (docs/install.md, "A real node").
node-test: setup
	testenv/install-node.sh
	$(MVN) verify -pl e2e -am -Dit.test=NodeIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dfailsafe.failIfNoSpecifiedTests=false

## The reliability suite, its scenarios at a larger size than CI's (faults injected between jack and
## AWS, jack killed, its leader killed, the API server restarted, etcd stalled: a table of
## duplicates, leaks and losses; make reliability SIZE=200), the bad input generated from every
## kind's schema (target/bad-input.md) and the scan for secrets.
SIZE ?= 70
reliability: setup
	$(MVN) verify -pl e2e -am -Dit.test='ReliabilityIT,BadInputIT,SecretsIT' -Djack.reliability.size=$(SIZE) -Dtest=none \
	  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false

## jack's packaged executable against ACK's own controllers, side by side (docs/performance.md):
## tables on stdout, bench/target/bench-results.json and two plots (make bench ARGS="--burst 500").
bench: setup
	$(MVN) -q -pl controller,bench -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	java -cp "bench/target/classes:$$(cat bench/target/classpath.txt)" dev.jack.bench.Bench $(ARGS)

## Regenerate every service's CRDs, Java API types and descriptors from services/*/generator.yaml.
generate:
	$(MVN) -q -pl codegen -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
	java -cp "codegen/target/classes:$$(cat codegen/target/classpath.txt)" dev.jack.codegen.Generator \
	  services "$${JACK_CACHE:-$$HOME/.cache/jack}/models/botocore.whl"

## Build the Helm charts (jack, and one per service) into charts/target/helm.
charts:
	$(MVN) -q -pl charts -am package -DskipTests

## Format all Java sources in place.
fmt:
	$(MVN) -q spotless:apply
