package dev.omnistock.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.omnistock.config.SchemaRegistryConnection;
import dev.omnistock.testsupport.RealStack;
import dev.omnistock.testsupport.RealStackExtension;
import dev.omnistock.testsupport.TestNamespace;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BACKWARD compatibility, enforced by the real registry. */
@ExtendWith(RealStackExtension.class)
class SchemaCompatibilityIT {

    private static final Schema V1 = schema("""
            {"type":"record","name":"StockPing","namespace":"dev.omnistock.test","fields":[
              {"name":"sku","type":"string"},
              {"name":"quantity","type":"int"}]}""");

    private SchemaRegistry registry;
    private String subject;

    @BeforeEach
    void registerFirstVersion(RealStack stack, TestNamespace ns) {
        registry = SchemaRegistry.connect(SchemaRegistryConnection.at(stack.schemaRegistryUrl()).serdeConfig());
        subject = ns.topic("stock-ping-" + System.nanoTime()) + "-value";
        registry.setCompatibility(subject, "BACKWARD");
        registry.register(subject, V1);
    }

    @Test
    void aNewRequiredFieldIsRejectedWith409() {
        Schema breaking = schema("""
                {"type":"record","name":"StockPing","namespace":"dev.omnistock.test","fields":[
                  {"name":"sku","type":"string"},
                  {"name":"quantity","type":"int"},
                  {"name":"locationId","type":"string"}]}""");

        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409))
                .hasMessageContaining(subject);
        assertThat(registry.latestSchema(subject)).isEqualTo(V1);
    }

    @Test
    void aNewOptionalFieldWithADefaultIsAccepted() {
        Schema evolved = schema("""
                {"type":"record","name":"StockPing","namespace":"dev.omnistock.test","fields":[
                  {"name":"sku","type":"string"},
                  {"name":"quantity","type":"int"},
                  {"name":"locationId","type":["null","string"],"default":null}]}""");

        int id = registry.register(subject, evolved);

        assertThat(id).isNotEqualTo(registry.idOf(subject, V1));
        assertThat(registry.latestSchema(subject)).isEqualTo(evolved);
    }

    private static Schema schema(String json) {
        return new Schema.Parser().parse(json);
    }
}
