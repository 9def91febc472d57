/*
 * Where a 152-byte AES-256-GCM seal spends its time in libcrypto 3.0, without Java in the way.
 * Build and run (PERFORMANCE-NOTES.md has the figures):
 *   gcc -O2 -o /tmp/gcm-call-sequences gcm-call-sequences.c -lcrypto
 *   /tmp/gcm-call-sequences          # all sequences, ns per seal+tag and per open
 *   perf record -e cpu-clock /tmp/gcm-call-sequences evp-obvious-seal   # then perf report
 */
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 2000000L
static unsigned char key[32] = {1}, iv[12] = {2}, aad[24] = {3}, pt[152] = {4}, ct[152], tag[16], out[152];

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static OSSL_FUNC_cipher_newctx_fn *p_newctx;
static OSSL_FUNC_cipher_encrypt_init_fn *p_einit;
static OSSL_FUNC_cipher_decrypt_init_fn *p_dinit;
static OSSL_FUNC_cipher_update_fn *p_update;
static OSSL_FUNC_cipher_final_fn *p_final;
static OSSL_FUNC_cipher_get_ctx_params_fn *p_get;

static void find_provider_functions(EVP_CIPHER *cipher) {
  const OSSL_PROVIDER *prov = EVP_CIPHER_get0_provider(cipher);
  int no_cache;
  const OSSL_ALGORITHM *a = OSSL_PROVIDER_query_operation(prov, OSSL_OP_CIPHER, &no_cache);
  for (; a->algorithm_names != NULL; a++)
    if (strncmp(a->algorithm_names, "AES-256-GCM:", 12) == 0) break;
  for (const OSSL_DISPATCH *d = a->implementation; d->function_id != 0; d++) {
    switch (d->function_id) {
      case OSSL_FUNC_CIPHER_NEWCTX: p_newctx = (OSSL_FUNC_cipher_newctx_fn *)d->function; break;
      case OSSL_FUNC_CIPHER_ENCRYPT_INIT: p_einit = (OSSL_FUNC_cipher_encrypt_init_fn *)d->function; break;
      case OSSL_FUNC_CIPHER_DECRYPT_INIT: p_dinit = (OSSL_FUNC_cipher_decrypt_init_fn *)d->function; break;
      case OSSL_FUNC_CIPHER_UPDATE: p_update = (OSSL_FUNC_cipher_update_fn *)d->function; break;
      case OSSL_FUNC_CIPHER_FINAL: p_final = (OSSL_FUNC_cipher_final_fn *)d->function; break;
      case OSSL_FUNC_CIPHER_GET_CTX_PARAMS: p_get = (OSSL_FUNC_cipher_get_ctx_params_fn *)d->function; break;
    }
  }
}

int main(int argc, char **argv) {
  const char *only = argc > 1 ? argv[1] : NULL;
  EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
  EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new(), *d = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex2(e, cipher, key, NULL, NULL);
  EVP_DecryptInit_ex2(d, cipher, key, NULL, NULL);
  find_provider_functions(cipher);
  void *pe = p_newctx(OSSL_PROVIDER_get0_provider_ctx(EVP_CIPHER_get0_provider(cipher)));
  void *pd = p_newctx(OSSL_PROVIDER_get0_provider_ctx(EVP_CIPHER_get0_provider(cipher)));
  p_einit(pe, key, 32, NULL, 0, NULL);
  p_dinit(pd, key, 32, NULL, 0, NULL);
  OSSL_PARAM tag_param[2] = {OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, 16), OSSL_PARAM_END};
  const char *names[] = {"evp-obvious-seal", "evp-ex2-cipher-seal", "provider-seal",
                         "evp-obvious-open", "provider-open"};
  for (int mode = 0; mode < 5; mode++) {
    if (only != NULL && strcmp(only, names[mode]) != 0) continue;
    int l, failures = 0;
    size_t ol;
    double t0 = now_ns();
    for (long i = 0; i < N; i++) {
      iv[0] = (unsigned char)i;
      switch (mode) {
        case 0: /* the obvious sequence: init with the IV, AAD, data, final, tag by ctrl */
          EVP_EncryptInit_ex(e, NULL, NULL, NULL, iv);
          EVP_EncryptUpdate(e, NULL, &l, aad, 24);
          EVP_EncryptUpdate(e, ct, &l, pt, 152);
          EVP_EncryptFinal_ex(e, ct + 152, &l);
          EVP_CIPHER_CTX_ctrl(e, EVP_CTRL_GCM_GET_TAG, 16, tag);
          break;
        case 1: /* OpenSSL 3 style: EVP_CipherInit_ex2, EVP_Cipher, tag as OSSL_PARAM */
          EVP_CipherInit_ex2(e, NULL, NULL, iv, 1, NULL);
          EVP_Cipher(e, NULL, aad, 24);
          EVP_Cipher(e, ct, pt, 152);
          EVP_Cipher(e, NULL, NULL, 0);
          EVP_CIPHER_CTX_get_params(e, tag_param);
          break;
        case 2: /* the provider's functions, as the Java backend calls them */
          p_einit(pe, NULL, 0, iv, 12, NULL);
          p_update(pe, NULL, &ol, 24, aad, 24);
          p_update(pe, ct, &ol, 152, pt, 152);
          p_final(pe, ct, &ol, 0);
          p_get(pe, tag_param);
          break;
        case 3:
          iv[0] = 0; /* open the one valid ticket sealed below */
          EVP_DecryptInit_ex(d, NULL, NULL, NULL, iv);
          EVP_DecryptUpdate(d, NULL, &l, aad, 24);
          EVP_DecryptUpdate(d, out, &l, ct, 152);
          EVP_CIPHER_CTX_ctrl(d, EVP_CTRL_GCM_SET_TAG, 16, tag);
          failures += EVP_DecryptFinal_ex(d, out, &l) != 1;
          break;
        case 4:
          iv[0] = 0;
          p_dinit(pd, NULL, 0, iv, 12, tag_param);
          p_update(pd, NULL, &ol, 24, aad, 24);
          p_update(pd, out, &ol, 152, ct, 152);
          failures += p_final(pd, out, &ol, 0) != 1;
          break;
      }
    }
    double t1 = now_ns();
    printf("%-20s %6.1f ns per ticket%s\n", names[mode], (t1 - t0) / N, failures ? " (FAILED TO OPEN)" : "");
    if (mode == 2) { /* seal the ticket the open modes check */
      iv[0] = 0;
      p_einit(pe, NULL, 0, iv, 12, NULL);
      p_update(pe, NULL, &ol, 24, aad, 24);
      p_update(pe, ct, &ol, 152, pt, 152);
      p_final(pe, ct, &ol, 0);
      p_get(pe, tag_param);
    }
  }
  return 0;
}
