package io.torque.core.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses a server's certificate by the host name the client asked for (SNI): the key store
 * entry whose alias is that name, else the one whose alias is its {@code *.} wildcard, else the
 * default entry. Both providers ask a key manager with the engine, whose handshake session
 * carries the requested names, so one context serves every host.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;
    private final String defaultAlias;

    SniKeyManager(X509ExtendedKeyManager keys, String defaultAlias) {
        this.keys = keys;
        this.defaultAlias = defaultAlias;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String host = requestedHost(engine);
        if (host != null) {
            String exact = usable(host, keyType, issuers);
            if (exact != null) {
                return exact;
            }
            int dot = host.indexOf('.');
            String wild = dot > 0 ? usable("*" + host.substring(dot), keyType, issuers) : null;
            if (wild != null) {
                return wild;
            }
        }
        String d = defaultAlias != null ? usable(defaultAlias, keyType, issuers) : null;
        return d != null ? d : keys.chooseEngineServerAlias(keyType, issuers, engine);
    }

    private String usable(String alias, String keyType, Principal[] issuers) {
        String[] all = keys.getServerAliases(keyType, issuers);
        if (all != null) {
            for (String a : all) {
                if (a.equalsIgnoreCase(alias)) {
                    return a;
                }
            }
        }
        return null;
    }

    private static String requestedHost(SSLEngine engine) {
        SSLSession s = engine == null ? null : engine.getHandshakeSession();
        if (s instanceof ExtendedSSLSession e) {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName().toLowerCase(Locale.ROOT);
                }
                if (n.getType() == 0) { // host_name, as a generic SNIServerName
                    return new SNIHostName(n.getEncoded()).getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        String d = defaultAlias != null ? usable(defaultAlias, keyType, issuers) : null;
        return d != null ? d : keys.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keys.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return keys.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys.getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }
}
