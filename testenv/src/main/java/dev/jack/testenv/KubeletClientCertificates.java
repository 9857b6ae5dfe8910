package dev.jack.testenv;

import java.nio.file.Path;

/**
 * The certificates with which the API server calls a kubelet (logs, exec, port-forward): an
 * authority the kubelet trusts for client certificates, and the API server's certificate from it,
 * in the group {@code system:masters}, so the kubelet's webhook authorization lets it in. Made with
 * openssl, valid for two days.
 */
record KubeletClientCertificates(Path authority, Path clientCertificate, Path clientKey) {

  static KubeletClientCertificates create(Path dir) {
    Path caKey = dir.resolve("kubelet-client-ca.key");
    Path ca = dir.resolve("kubelet-client-ca.crt");
    Path key = dir.resolve("apiserver-kubelet-client.key");
    Path request = dir.resolve("apiserver-kubelet-client.csr");
    Path certificate = dir.resolve("apiserver-kubelet-client.crt");
    HostCommand.succeed(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=jack-node-kubelet-client-ca",
        "-keyout",
        caKey.toString(),
        "-out",
        ca.toString());
    HostCommand.succeed(
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/O=system:masters/CN=kube-apiserver-kubelet-client",
        "-keyout",
        key.toString(),
        "-out",
        request.toString());
    HostCommand.succeed(
        "openssl",
        "x509",
        "-req",
        "-days",
        "2",
        "-in",
        request.toString(),
        "-CA",
        ca.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAserial",
        dir.resolve("kubelet-client-ca.srl").toString(),
        "-CAcreateserial",
        "-out",
        certificate.toString());
    return new KubeletClientCertificates(ca, certificate, key);
  }
}
