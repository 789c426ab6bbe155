package dev.omnistock.ingestion.adapters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SKUs this retailer sells, to report rows naming any other as unknown. Read from a file with one
 * SKU per line (INGESTION_SKU_CATALOG); without one every well-formed SKU is accepted.
 */
public final class SkuCatalog {

    public static final String ENV = "INGESTION_SKU_CATALOG";

    private final Set<String> skus;

    private SkuCatalog(Set<String> skus) {
        this.skus = skus;
    }

    public static SkuCatalog anySku() {
        return new SkuCatalog(null);
    }

    public static SkuCatalog of(Set<String> skus) {
        return new SkuCatalog(Set.copyOf(skus));
    }

    public static SkuCatalog fromFile(Path file) {
        try (var lines = Files.lines(file)) {
            return of(lines.map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#")).collect(Collectors.toSet()));
        } catch (IOException e) {
            throw new UncheckedIOException(ENV + " names " + file + ", which cannot be read", e);
        }
    }

    public boolean knows(String sku) {
        return skus == null || skus.contains(sku);
    }
}
