package dev.ticketoffload.deploy;

import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The manifests of {@code deploy/kubernetes}, each document checked against the Kubernetes API
 * model of its kind (client-java's classes, generated from the API's OpenAPI schema, with their
 * validators: unknown fields, missing required fields and wrong JSON types are refused) and then
 * read as that typed object.
 */
final class Manifests {

  /** The kinds the manifests may hold; any other kind is an error, not a document left unchecked. */
  static final Map<String, Class<?>> KINDS = Map.of(
      "apps/v1/Deployment", V1Deployment.class,
      "v1/Service", V1Service.class,
      "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
      "v1/ConfigMap", V1ConfigMap.class);

  record Document(Path file, String apiVersionKind, Object object) {}

  static final Path DIRECTORY = Repository.ROOT.resolve("deploy/kubernetes");

  private Manifests() {}

  static List<Document> all() throws IOException {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (Reader reader = Files.newBufferedReader(file)) {
          for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
            if (doc != null) {
              documents.add(check(file, doc));
            }
          }
        }
      }
    }
    return documents;
  }

  /** Validates one YAML document against its kind's API model; throws naming the file and the problem. */
  static Document check(Path file, Object yaml) {
    if (!(yaml instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(file + ": a document is not a mapping");
    }
    String kind = map.get("apiVersion") + "/" + map.get("kind");
    Class<?> type = KINDS.get(kind);
    if (type == null) {
      throw new IllegalArgumentException(file + ": unexpected kind " + kind + " (known: " + KINDS.keySet() + ")");
    }
    JsonElement json = JSON.getGson().toJsonTree(yaml);
    try {
      type.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(file + ": " + kind + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return new Document(file, kind, JSON.getGson().fromJson(json, type));
  }

  static <T> T only(List<Document> documents, Class<T> type) {
    List<T> found = documents.stream().map(Document::object).filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.getFirst();
  }
}
