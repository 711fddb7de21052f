using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CommunitySearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search (Features/Community/BoardSearch.cs): GIN indexes over the same expressions the search
            // query uses, so PostgreSQL answers from the index instead of reading every post.
            migrationBuilder.Sql("""
                CREATE INDEX "IX_CommunityPosts_Search" ON "CommunityPosts" USING GIN (to_tsvector('english'::regconfig, "Body"));
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_CommunityTopics_Search" ON "CommunityTopics" USING GIN (to_tsvector('english'::regconfig, "Title"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_CommunityPosts_Search";""");
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_CommunityTopics_Search";""");
        }
    }
}
