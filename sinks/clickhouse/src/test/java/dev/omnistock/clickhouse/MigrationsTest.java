package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void statementsSplitAtLineEndSemicolonsAndDropComments() {
        assertThat(Migrations.statements("-- a comment\nCREATE TABLE a (x UInt8)\nENGINE = Memory;\nCREATE TABLE b (y UInt8) ENGINE = Memory;\n"))
                .containsExactly("CREATE TABLE a (x UInt8)\nENGINE = Memory", "CREATE TABLE b (y UInt8) ENGINE = Memory");
    }
}
