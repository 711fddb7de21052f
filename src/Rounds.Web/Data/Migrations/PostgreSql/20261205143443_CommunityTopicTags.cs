using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CommunityTopicTags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AllowedTags",
                table: "CommunityCategories",
                type: "character varying(3100)",
                maxLength: 3100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "CommunityTopicTags",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    TopicId = table.Column<Guid>(type: "uuid", nullable: false),
                    Tag = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommunityTopicTags", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CommunityTopicTags_CommunityTopics_TopicId",
                        column: x => x.TopicId,
                        principalTable: "CommunityTopics",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CommunityTopicTags_OrganizationId_Tag",
                table: "CommunityTopicTags",
                columns: new[] { "OrganizationId", "Tag" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunityTopicTags_TopicId_Tag",
                table: "CommunityTopicTags",
                columns: new[] { "TopicId", "Tag" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CommunityTopicTags");

            migrationBuilder.DropColumn(
                name: "AllowedTags",
                table: "CommunityCategories");
        }
    }
}
